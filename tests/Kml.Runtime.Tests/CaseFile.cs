namespace Kml.Runtime.Tests;

/// <summary>Reads a case file from Cases/: one case per line, '#' starts a comment, blank lines are skipped.</summary>
internal static class CaseFile
{
    public static TheoryData<string, int> Lines(string name)
    {
        var data = new TheoryData<string, int>();
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Cases", name));
        for (var i = 0; i < lines.Length; i++)
        {
            var hash = lines[i].IndexOf('#');
            var text = (hash >= 0 ? lines[i][..hash] : lines[i]).Trim();
            if (text.Length > 0)
            {
                data.Add(text, i + 1);
            }
        }
        return data;
    }
}
