// The TAL side of Kml.Directories (see Files.cs in this folder).
namespace Kml;

public static class Directories
{
    public static int Open(string path)
    {
        return Files.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory);
    }

    public static int ReadEntries(int descriptor, byte[] buffer, int offset, int count)
    {
        if (!Paths.IsValidRange(buffer, offset, count))
        {
            return -Errno.Fault;
        }
        return KernelCalls.ReadDirectory(descriptor, buffer, offset, count);
    }

    public static int Close(int descriptor)
    {
        return Files.Close(descriptor);
    }

    public static int Create(string path, int mode = FileModes.DefaultDirectory)
    {
        int error = Paths.Check(path);
        if (error != 0)
        {
            return error;
        }
        return KernelCalls.MakeDirectory(Utf8.Encode(path), mode);
    }

    public static int Delete(string path)
    {
        int error = Paths.Check(path);
        if (error != 0)
        {
            return error;
        }
        return KernelCalls.RemoveDirectory(Utf8.Encode(path));
    }
}
