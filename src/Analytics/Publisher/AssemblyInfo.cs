namespace StepAudio.Telephony.Analytics;
