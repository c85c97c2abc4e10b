namespace Kml.Cli;

/// <summary>
/// Turns exceptions into one-line messages and exit codes: the user never sees a .NET stack trace.
/// Components report bad input by throwing <see cref="InvalidDataException"/> (or a subclass),
/// unfinished features by <see cref="NotSupportedException"/>, and missing files by <see cref="IOException"/>.
/// Set KML_TRACE=1 to print the stack trace of an internal error.
/// </summary>
internal static class ErrorReporting
{
    /// <summary>Exit code for bad input or an unsupported construct.</summary>
    public const int UserError = 2;

    /// <summary>Exit code for a bug in kml itself (sysexits' EX_SOFTWARE).</summary>
    public const int InternalError = 70;

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            Console.Out.Flush();
            Console.Error.WriteLine($"kml: {ex.Message}");
            return UserError;
        }
        catch (Exception ex)
        {
            Console.Out.Flush();
            Console.Error.WriteLine($"kml: internal error: {ex.GetType().Name}: {ex.Message}");
            if (Environment.GetEnvironmentVariable("KML_TRACE") == "1")
                Console.Error.WriteLine(ex);
            return InternalError;
        }
    }

    private static bool IsUserError(Exception ex) =>
        ex is InvalidDataException or NotSupportedException or IOException or UnauthorizedAccessException or FormatException;
}
