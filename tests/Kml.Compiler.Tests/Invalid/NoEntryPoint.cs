// A library without Main: C# itself reports the missing entry point of a program.
// expect: error CS5001: Program does not contain a static 'Main' method suitable for an entry point
static class Library
{
    public static int Twice(int x) => 2 * x;
}
