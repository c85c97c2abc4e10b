// KML0017: multi-dimensional arrays.

// case: a rectangular array type and creation
class C
{
    [|int[,]|] grid = new [|int[3, 4]|];
    [|long[,,]|] cube = null!;
}
// expect: multi-dimensional array type 'int[*,*]' is not in the KML subset
// expect: multi-dimensional array type 'int[*,*]' is not in the KML subset
// expect: multi-dimensional array type 'long[*,*,*]' is not in the KML subset

// case: an implicitly typed rectangular array
class C
{
    void M()
    {
        var g = [|new[,] { { 1, 2 }, { 3, 4 } }|];
    }
}
// expect: multi-dimensional array creation 'int[*,*]' is not in the KML subset

// accept: jagged arrays and row-major indexing
class C
{
    int[][] rows = new int[3][];
    int[] flat = new int[3 * 4];
    int At(int r, int c) => flat[r * 4 + c] + rows[r][c];
}
