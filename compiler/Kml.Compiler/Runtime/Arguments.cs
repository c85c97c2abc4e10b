// The program's command-line arguments (Main's string[] args), built by the program itself from the kernel's
// argc/arg entries: the kernel only copies bytes into a byte array, the strings are made here, in the subset.
namespace Kml;

internal static class Arguments
{
    /// <summary>The arguments after the program's name, decoded from UTF-8 (what CoreCLR passes to Main).</summary>
    public static string[] Get()
    {
        int count = KernelCalls.ArgumentCount();
        if (count < 0)
        {
            count = 0;
        }
        string[] args = new string[count];
        byte[] none = new byte[0];
        for (int i = 0; i < count; i++)
        {
            // First the length (nothing is copied into an empty range), then the bytes.
            int length = KernelCalls.Argument(i, none, 0, 0);
            if (length <= 0)
            {
                // 0: an empty argument. Below 0 cannot happen for 0 <= i < argc (the kernel's list is fixed).
                args[i] = "";
                continue;
            }
            byte[] bytes = new byte[length];
            int copied = KernelCalls.Argument(i, bytes, 0, length);
            args[i] = Utf8.Decode(bytes, 0, copied < 0 ? 0 : (copied < length ? copied : length));
        }
        return args;
    }
}
