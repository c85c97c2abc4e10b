// The host implementation of the Kml API is Linux's (it calls libc), and so are these tests.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
