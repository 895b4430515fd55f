using StepAudio.Telephony.Cli;

return CliApplication.Run(args, Console.Out, Console.Error);
