namespace StepAudio.Telephony.SipGateway.Sip.Messages;

/// <summary>Method names (case-sensitive, RFC 3261 §7.1).</summary>
public static class SipMethods
{
    public const string Invite = "INVITE";
    public const string Ack = "ACK";
    public const string Bye = "BYE";
    public const string Cancel = "CANCEL";
    public const string Options = "OPTIONS";
    public const string Register = "REGISTER";
    public const string Subscribe = "SUBSCRIBE";
    public const string Notify = "NOTIFY";
    public const string Info = "INFO";
    public const string Update = "UPDATE";
    public const string Refer = "REFER";
    public const string Message = "MESSAGE";
    public const string Prack = "PRACK";
    public const string Publish = "PUBLISH";

    private static readonly string[] All =
        [Invite, Ack, Bye, Cancel, Options, Register, Subscribe, Notify, Info, Update, Refer, Message, Prack, Publish];

    /// <summary>Returns the shared constant for a known method so parsing does not allocate a string for it.</summary>
    public static string FromBytes(ReadOnlySpan<byte> method)
    {
        foreach (var known in All)
        {
            if (method.Length == known.Length && System.Text.Ascii.Equals(method, known))
            {
                return known;
            }
        }

        return System.Text.Encoding.ASCII.GetString(method);
    }

    /// <summary>Methods standardised by RFC 3261 and its extensions (used to choose 405 vs 501).</summary>
    public static bool IsKnown(string method) => method is Invite or Ack or Bye or Cancel or Options or Register
        or Subscribe or Notify or Info or Update or Refer or Message or Prack or Publish;
}
