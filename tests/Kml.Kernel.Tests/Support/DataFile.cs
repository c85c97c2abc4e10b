namespace Kml.Kernel.Tests.Support;

/// <summary>A case file: one case per line, '#' comments, fields separated by '|'.</summary>
public static class DataFile
{
    public static IEnumerable<(int Line, string[] Fields)> Read(string name)
    {
        int line = 0;
        foreach (string raw in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Cases", name)))
        {
            line++;
            string text = raw.Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            yield return (line, text.Split('|').Select(f => f.Trim()).ToArray());
        }
    }
}
