namespace Kml.EndToEnd.Tests.Support;

/// <summary>What a program did: its output streams and exit status (128 + N when killed by signal N).</summary>
public sealed record RunResult(byte[] Stdout, byte[] Stderr, int ExitCode)
{
    public string StdoutText => System.Text.Encoding.UTF8.GetString(Stdout);
    public string StderrText => System.Text.Encoding.UTF8.GetString(Stderr);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdoutText}--- stderr\n{StderrText}";
}
