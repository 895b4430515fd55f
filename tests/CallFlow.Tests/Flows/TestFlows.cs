namespace StepAudio.Telephony.CallFlow.Tests.Flows;

/// <summary>Flow texts the tests share.</summary>
internal static class TestFlows
{
    /// <summary>A flow that uses every verb and handler.</summary>
    public const string Support = """
        flow: support
        description: Main support line
        voice: en-us
        start: welcome
        variables:
          company: Example Telecom
          attempts: 0
        handlers:
          on_frustration: { above: 0.7, for: 3s, goto: agent }
          on_silence: { after: 20s, goto: still_there }
          on_error: { goto: sorry }
        steps:
          welcome:
            say: "Thanks for calling {{ vars.company }}."
            next: menu
          menu:
            gather:
              say: "For billing press 1. For a technical problem press 2."
              max_digits: 1
              timeout: 5s
              inter_digit_timeout: 1m30s
              retries: 2
              finish_on_key: "*"
              input: [dtmf, speech]
              no_input: still_there
            next: route
          route:
            branch:
              - if: digits == "1"
                goto: billing
              - if: digits == "2" and frustration < 0.5
                goto: lookup
              - else: menu
          billing:
            play: { file: billing.wav, loop: 2, barge_in: false }
            next: agent
          lookup:
            webhook:
              url: "https://crm.example.com/lookup?caller={{ caller }}"
              method: get
              headers: { X-Api-Key: secret }
              body: { reason: technical, count: "{{ vars.attempts + 1 }}" }
              timeout: 2s
              retries: 1
              as: customer
              on_failure: sorry
            next: remember
          remember:
            set:
              attempts: "{{ vars.attempts + 1 }}"
              tier: gold
            next: message
          message:
            record: { max_length: 2m, finish_on_key: "#", beep: false, as: voicemail }
            next: bye
          agent:
            transfer: { to: "sip:agent@pbx.example.com", mode: bridge, timeout: 20s, on_failure: sorry }
          still_there:
            say: Are you still there?
            next: menu
          sorry:
            say: { text: "Sorry, something went wrong.", voice: en-gb, loop: 1 }
            next: bye
          bye:
            hangup: { reason: done }
        """;

    /// <summary>The smallest valid flow.</summary>
    public const string Minimal = """
        flow: minimal
        start: hello
        steps:
          hello:
            say: Hello
        """;
}
