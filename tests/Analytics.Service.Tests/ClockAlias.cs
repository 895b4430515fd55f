// The service tests move a wall clock (GetUtcNow); the shared Testing.ManualTimeProvider moves timestamps and timers.
global using ManualTimeProvider = StepAudio.Telephony.Analytics.Service.Tests.Infrastructure.ManualTimeProvider;
