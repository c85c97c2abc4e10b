namespace Kml.Kernel.Vfs;

/// <summary>The user and group identities a process acts with.</summary>
internal sealed record Credentials(int Uid, int Euid, int Gid, int Egid)
{
    public bool InGroup(int gid) => gid == Egid || gid == Gid;
}
