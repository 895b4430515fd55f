using System.Text.Json;
using StepAudio.Telephony.Analytics.Service.Aggregates;

namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>
/// Folds a call's stored events into its <see cref="CallSummary"/>. The result depends only on the set of events,
/// never on the order they arrived in, so out-of-order and redelivered events give the same summary; unknown
/// event types and fields are skipped.
/// </summary>
internal sealed class CallSummaryBuilder(string callId)
{
    private readonly Dictionary<string, int> _emotions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _vocalKinds = new(StringComparer.Ordinal);
    private string? _startFlow;
    private string? _laterFlow;
    private string _caller = string.Empty;
    private DateTimeOffset? _startedAt;
    private DateTimeOffset? _endedAt;
    private DateTimeOffset _earliest = DateTimeOffset.MaxValue;
    private DateTimeOffset _latest = DateTimeOffset.MinValue;
    private double _duration;
    private string? _outcome;
    private string? _hungUpBy;
    private double _peak;
    private int _sighEvents, _laughEvents, _cryingEvents;
    private int _sighsEnded, _laughsEnded, _cryingEnded;
    private int _transfers;
    private int _keys;
    private int _events;
    private (DateTimeOffset At, string? Label, double Confidence) _latestEmotion = (DateTimeOffset.MinValue, null, 0);
    private (DateTimeOffset At, double Score, string? Level) _latestFrustration = (DateTimeOffset.MinValue, 0, null);

    public void Add(string type, DateTimeOffset timestamp, JsonElement body)
    {
        _events++;
        if (timestamp < _earliest)
        {
            _earliest = timestamp;
        }

        if (timestamp > _latest)
        {
            _latest = timestamp;
        }

        switch (type)
        {
            case "CallStarted":
                _startedAt = timestamp;
                _startFlow = JsonFields.String(body, "flow");
                // Stored JSON already carries the masked caller; masking again is a no-op that guards old rows.
                _caller = CallerMask.Mask(JsonFields.String(body, "from"));
                break;
            case "CallEnded":
                _endedAt = timestamp;
                _duration = Math.Max(0, JsonFields.Number(body, "durationSeconds"));
                _outcome = JsonFields.String(body, "outcome");
                _hungUpBy = JsonFields.String(body, "hungUpBy");
                _laterFlow ??= JsonFields.String(body, "flow");
                _peak = Math.Max(_peak, JsonFields.Number(body, "peakFrustration"));
                _sighsEnded = JsonFields.CountIn(body, "vocalEvents", "Sigh");
                _laughsEnded = JsonFields.CountIn(body, "vocalEvents", "Laugh");
                _cryingEnded = JsonFields.CountIn(body, "vocalEvents", "Crying");
                break;
            case "CallTransferred":
                _transfers++;
                _laterFlow ??= JsonFields.String(body, "flow");
                _peak = Math.Max(_peak, JsonFields.Number(body, "frustration"));
                break;
            case "FrustrationChanged":
                var score = JsonFields.Number(body, "score");
                _peak = Math.Max(_peak, score);
                if (timestamp >= _latestFrustration.At)
                {
                    _latestFrustration = (timestamp, Math.Clamp(score, 0, 1), JsonFields.String(body, "level"));
                }

                break;
            case "EmotionDetected":
                var label = Vocabulary.Canonical(Vocabulary.Emotions, JsonFields.String(body, "label")) ?? "Ambiguous";
                _emotions[label] = _emotions.GetValueOrDefault(label) + 1;
                if (timestamp >= _latestEmotion.At)
                {
                    _latestEmotion = (timestamp, label, Math.Clamp(JsonFields.Number(body, "confidence"), 0, 1));
                }

                break;
            case "VocalEventDetected":
                if (JsonFields.String(body, "kind") is { Length: > 0 } kind)
                {
                    _vocalKinds[kind] = _vocalKinds.GetValueOrDefault(kind) + 1;
                }

                switch (JsonFields.String(body, "kind")?.ToUpperInvariant())
                {
                    case "SIGH": _sighEvents++; break;
                    case "LAUGH": _laughEvents++; break;
                    case "CRYING": _cryingEvents++; break;
                }

                break;
            case "DtmfReceived":
                _keys++;
                break;
        }
    }

    /// <summary>The call's live state, as the active-call list shows it while the call runs.</summary>
    public LiveCallState BuildLive() => new(
        _latestEmotion.Label,
        _latestEmotion.Confidence,
        _latestFrustration.Score,
        _latestFrustration.Level,
        new SortedDictionary<string, int>(_vocalKinds, StringComparer.Ordinal));

    public CallSummary Build()
    {
        var latest = _events == 0 ? DateTimeOffset.UnixEpoch : _latest;
        var started = _startedAt ?? (_endedAt is { } end ? end.AddSeconds(-_duration) : _earliest);
        if (_events == 0)
        {
            started = DateTimeOffset.UnixEpoch;
        }

        var flow = _startFlow ?? _laterFlow;
        var outcome = _endedAt is null
            ? Vocabulary.InProgress
            : Vocabulary.Canonical(Vocabulary.Outcomes, _outcome) is { } known && known != Vocabulary.InProgress
                ? known
                : Vocabulary.UnknownOutcome;
        var dominant = _emotions.Count == 0
            ? null
            : Vocabulary.Emotions.Where(_emotions.ContainsKey).OrderBy(l => _emotions[l]).Last();
        return new CallSummary(
            callId,
            string.IsNullOrEmpty(flow) ? Vocabulary.NoFlow : flow,
            _caller,
            started,
            _startedAt is not null,
            _endedAt,
            _duration,
            outcome,
            _hungUpBy,
            Math.Clamp(_peak, 0, 1),
            Math.Max(_sighEvents, _sighsEnded),
            Math.Max(_laughEvents, _laughsEnded),
            Math.Max(_cryingEvents, _cryingEnded),
            _emotions.Values.Sum(),
            new Dictionary<string, int>(_emotions, StringComparer.Ordinal),
            dominant,
            _transfers,
            _keys,
            _events,
            latest);
    }
}
