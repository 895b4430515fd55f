namespace StepAudio.Telephony.Analytics.Service.Tests;

public sealed class ServiceProjectTests
{
    [Fact]
    public void The_service_assembly_is_the_analytics_service()
    {
        Assert.Equal("StepAudio.Telephony.Analytics.Service", typeof(Program).Assembly.GetName().Name);
    }
}
