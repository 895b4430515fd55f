namespace StepAudio.Telephony.CallFlow;
