namespace StepAudio.Telephony.Analytics.Tests.Contracts;

/// <summary>Consumers reference the contracts alone, so the assembly must not drag in MassTransit or gateway code.</summary>
public sealed class ContractsAssemblyTests
{
    [Fact]
    public void References_only_the_base_class_library()
    {
        var references = ContractTypes.Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.NotEmpty(references);
        var foreign = references.Where(n => n is not ("System" or "netstandard" or "mscorlib") && !n.StartsWith("System.", StringComparison.Ordinal));
        Assert.Empty(foreign);
    }
}
