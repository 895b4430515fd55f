namespace StepAudio.Telephony.Inference;
