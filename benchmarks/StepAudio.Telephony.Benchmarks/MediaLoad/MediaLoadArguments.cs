using System.Globalization;

namespace StepAudio.Telephony.Benchmarks.MediaLoad;

/// <summary>Arguments shared by both halves of the media load harness (they must agree on ports and counts).</summary>
internal sealed record MediaLoadArguments(int Calls, int Seconds, int GatewayBasePort, int PeerBasePort, double LateThresholdMs)
{
    public const string Usage =
        "media-gateway|media-peer --calls N [--seconds 30] [--gateway-port 30000] [--peer-port 40000] [--late-ms 5]";

    public static MediaLoadArguments? Parse(ReadOnlySpan<string> args)
    {
        int calls = 0, seconds = 30, gatewayPort = 30000, peerPort = 40000;
        double lateMs = 5;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string value = args[i + 1];
            switch (args[i])
            {
                case "--calls": calls = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--gateway-port": gatewayPort = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--peer-port": peerPort = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--late-ms": lateMs = double.Parse(value, CultureInfo.InvariantCulture); break;
                default: return null;
            }
        }

        return calls > 0 && seconds > 0 ? new MediaLoadArguments(calls, seconds, gatewayPort, peerPort, lateMs) : null;
    }
}
