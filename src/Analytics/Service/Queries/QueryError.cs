namespace StepAudio.Telephony.Analytics.Service.Queries;

/// <summary>Why a query was refused: the parameter at fault and what it should look like (sent as the 400 body).</summary>
/// <param name="Parameter">The query-string parameter's name.</param>
/// <param name="Error">What is wrong and what is accepted.</param>
public sealed record QueryError(string Parameter, string Error);
