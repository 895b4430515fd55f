using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallFlow.Flows.Routing;

/// <summary>One consistent, immutable snapshot of a flow directory: flows by name and the routes between them.</summary>
public sealed class FlowSet
{
    /// <summary>Creates a set; <paramref name="routes"/> must only name flows in <paramref name="flows"/> (the loader checks).</summary>
    public FlowSet(IReadOnlyDictionary<string, FlowDefinition> flows, FlowRoutes routes)
    {
        ArgumentNullException.ThrowIfNull(flows);
        ArgumentNullException.ThrowIfNull(routes);
        if (!flows.ContainsKey(routes.Default))
        {
            throw new ArgumentException($"The default flow '{routes.Default}' is not in the set.", nameof(routes));
        }

        Flows = flows;
        Routes = routes;
    }

    /// <summary>Every flow by name.</summary>
    public IReadOnlyDictionary<string, FlowDefinition> Flows { get; }

    /// <summary>The routes.</summary>
    public FlowRoutes Routes { get; }

    /// <summary>
    /// The flow for <paramref name="call"/>: the first route whose DID and/or trunk match (and whose <c>when</c> holds,
    /// unless it has a <c>use</c>), else the default. <paramref name="scope"/> evaluates <c>when</c> conditions.
    /// </summary>
    public FlowDefinition Select(CallInfo call, IFlowScope scope)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(scope);
        var called = DidMatcher.Normalize(call.Called);
        foreach (var route in Routes.Routes)
        {
            if (route.Did is not null && !DidMatcher.Matches(route.Did, called))
            {
                continue;
            }

            if (route.Trunk is not null && !string.Equals(route.Trunk, call.Trunk, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (route.When is null)
            {
                return Flows[route.Flow];
            }

            var holds = route.When.IsTrue(scope);
            if (route.Use is not null)
            {
                return Flows[holds ? route.Use : route.Flow];
            }

            if (holds)
            {
                return Flows[route.Flow];
            }
        }

        return Flows[Routes.Default];
    }
}
