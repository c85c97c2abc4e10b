// The smallest subset program: top-level statements and Console.WriteLine.
using System;

Console.WriteLine("Hello, KML!");
