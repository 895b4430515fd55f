using System.Reflection;
using System.Text.Json;
using MassTransit.Serialization;
using StepAudio.Telephony.Analytics.Contracts;

namespace StepAudio.Telephony.Analytics.Tests.Contracts;

/// <summary>The contract records found by reflection, so a new event or field cannot escape the contract tests.</summary>
internal static class ContractTypes
{
    /// <summary>The options MassTransit serialises message bodies with (camelCase).</summary>
    public static readonly JsonSerializerOptions Wire = SystemTextJsonMessageSerializer.Options;

    public static Assembly Assembly => typeof(ICallEvent).Assembly;

    /// <summary>Every concrete event type.</summary>
    public static IReadOnlyList<Type> Events { get; } =
        [.. Assembly.GetExportedTypes().Where(t => t.IsClass && !t.IsAbstract && typeof(ICallEvent).IsAssignableFrom(t))];

    /// <summary>Every public record with a primary constructor: the events and the types nested in them.</summary>
    public static IReadOnlyList<Type> Records { get; } =
        [.. Assembly.GetExportedTypes().Where(t => t.IsClass && !t.IsAbstract && t.GetMethod("<Clone>$") is not null)];

    /// <summary>The positional parameters, in order; the records' copy constructors are skipped.</summary>
    public static ParameterInfo[] Parameters(Type record) =>
        record.GetConstructors()
            .Where(c => c.GetParameters() is not [{ } only] || only.ParameterType != record)
            .OrderByDescending(c => c.GetParameters().Length)
            .First()
            .GetParameters();

    public static string JsonName(ParameterInfo parameter) => JsonNamingPolicy.CamelCase.ConvertName(parameter.Name!);

    public static TheoryData<string> EventNames()
    {
        var data = new TheoryData<string>();
        foreach (var type in Events)
        {
            data.Add(type.Name);
        }

        return data;
    }

    public static Type EventNamed(string name) => Events.Single(t => t.Name == name);
}
