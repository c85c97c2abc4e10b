// KML0018: string interpolation.

// case: interpolated strings, verbatim and raw
class C
{
    string M(int x, string name)
    {
        string a = [|$"x = {x}"|];
        string b = [|$@"path\{name}"|];
        string c = [|$"""{name}!"""|];
        return a + b + c;
    }
}
// expect: interpolated string is not in the KML subset
// expect: interpolated string is not in the KML subset
// expect: interpolated string is not in the KML subset

// accept: concatenation with strings, integers, char and bool
class C
{
    string M(int x, long y, char c, bool b, string s) => "x = " + x + ", y = " + y + ' ' + c + b + s + @"\raw" + """raw""";
}
