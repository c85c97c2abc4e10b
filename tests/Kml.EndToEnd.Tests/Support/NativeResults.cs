using System.Collections.Concurrent;

namespace Kml.EndToEnd.Tests.Support;

/// <summary>
/// Native reference runs, made once per case and shared by the test classes that run the same case in different
/// modes (the native result does not depend on the mode).
/// </summary>
public static class NativeResults
{
    private static readonly ConcurrentDictionary<string, Lazy<RunResult>> s_results = new();

    public static RunResult Get(string key, Func<RunResult> run) =>
        s_results.GetOrAdd(key, _ => new Lazy<RunResult>(run, LazyThreadSafetyMode.ExecutionAndPublication)).Value;
}
