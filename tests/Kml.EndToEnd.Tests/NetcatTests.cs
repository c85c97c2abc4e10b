using System.Net;
using System.Net.Sockets;
using System.Text;
using Kml.EndToEnd.Tests.Support;
using Shouldly;
using Xunit;

namespace Kml.EndToEnd.Tests;

/// <summary>busybox nc against a host peer on 127.0.0.1: guest sockets are host sockets (the LilyVM way).</summary>
[Collection(HostPortsCollection.Name)]
public sealed class NetcatTests
{
    private delegate RunResult Launch(IReadOnlyList<string> args, byte[] stdin);

    private static RunResult NativeRun(IReadOnlyList<string> args, byte[] stdin) => Runner.Native(Paths.Busybox, args, TestTree.Shared, stdin, TimeSpan.FromSeconds(30));

    private static RunResult EmulatedRun(IReadOnlyList<string> args, byte[] stdin) => Runner.Emulated(Paths.Busybox, args, TestTree.Shared, stdin, timeout: TimeSpan.FromSeconds(30));

    /// <summary>nc as a client: the host server reads everything, answers, and closes.</summary>
    private static (RunResult Result, string ServerGot) ClientSession(Launch launch)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(() =>
        {
            using var client = listener.AcceptTcpClient();
            using var stream = client.GetStream();
            var got = new MemoryStream();
            stream.CopyTo(got);
            stream.Write(Encoding.ASCII.GetBytes("reply:" + Encoding.ASCII.GetString(got.ToArray())));
            client.Client.Shutdown(SocketShutdown.Send);
            return Encoding.ASCII.GetString(got.ToArray());
        });
        var result = launch(["nc", "127.0.0.1", port.ToString()], "hello from the guest\n"u8.ToArray());
        server.Wait(TimeSpan.FromSeconds(30)).ShouldBeTrue("the host server did not finish");
        return (result, server.Result);
    }

    /// <summary>nc as a server: the host client connects, sends a line, closes its side, and reads until EOF.</summary>
    private static (RunResult Result, string ClientGot) ServerSession(Launch launch)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var run = Task.Run(() => launch(["nc", "-l", "-p", port.ToString()], []));
        string received = "";
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                using var stream = client.GetStream();
                stream.Write("ping from the host\n"u8);
                client.Client.Shutdown(SocketShutdown.Send);
                var got = new MemoryStream();
                stream.CopyTo(got);
                received = Encoding.ASCII.GetString(got.ToArray());
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }
        run.Wait(TimeSpan.FromSeconds(30)).ShouldBeTrue("nc -l did not finish");
        return (run.Result, received);
    }

    [Fact]
    public void Netcat_Client_TalksToHostServer_AsNatively()
    {
        var native = ClientSession(NativeRun);
        var emulated = ClientSession(EmulatedRun);
        emulated.ServerGot.ShouldBe("hello from the guest\n");
        emulated.ServerGot.ShouldBe(native.ServerGot);
        emulated.Result.ToString().ShouldBe(native.Result.ToString());
    }

    [Fact]
    public void Netcat_Server_AcceptsHostClient_AsNatively()
    {
        var native = ServerSession(NativeRun);
        var emulated = ServerSession(EmulatedRun);
        emulated.Result.StdoutText.ShouldBe("ping from the host\n");
        emulated.ClientGot.ShouldBe(native.ClientGot);
        emulated.Result.ToString().ShouldBe(native.Result.ToString());
    }
}
