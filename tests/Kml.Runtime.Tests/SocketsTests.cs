using System.Text;
using Shouldly;

namespace Kml.Runtime.Tests;

public sealed class SocketsTests
{
    [Fact]
    public void Loopback_ConnectAcceptSendReceiveShutdown()
    {
        var server = Sockets.Tcp();
        server.ShouldBeGreaterThan(2);
        Sockets.ReuseAddress(server).ShouldBe(0);
        Sockets.Bind(server, Ipv4.Loopback, 0).ShouldBe(0);
        Sockets.Listen(server, 4).ShouldBe(0);
        var port = Sockets.LocalPort(server);
        port.ShouldBeInRange(1, 65535);

        var client = Sockets.Tcp();
        Sockets.Connect(client, Ipv4.Loopback, port).ShouldBe(0);
        var connection = Sockets.Accept(server);
        connection.ShouldBeGreaterThan(2);

        var ping = Encoding.ASCII.GetBytes("xxping");
        Sockets.Send(client, ping, 2, 4).ShouldBe(4);
        var buffer = new byte[16];
        ReceiveExactly(connection, buffer, 4).ShouldBe("ping");

        // Files.Write and Files.Read work on sockets too, as on Linux.
        Files.Write(connection, Encoding.ASCII.GetBytes("pong"), 0, 4).ShouldBe(4);
        ReceiveExactly(client, buffer, 4).ShouldBe("pong");

        Sockets.Shutdown(client, Sockets.ShutdownSend).ShouldBe(0);
        Sockets.Receive(connection, buffer, 0, 16).ShouldBe(0, "the end of the stream after the peer's shutdown");
        Files.Seek(connection, 0, Whence.Start).ShouldBe(-Errno.IllegalSeek);

        Sockets.Close(connection).ShouldBe(0);
        Sockets.Close(client).ShouldBe(0);
        Sockets.Close(server).ShouldBe(0);
    }

    [Fact]
    public void Send_AfterThePeerClosed_ReturnsMinusEPIPE_WithoutASignal()
    {
        var server = Listen(out var port);
        var client = Sockets.Tcp();
        Sockets.Connect(client, Ipv4.Loopback, port).ShouldBe(0);
        var connection = Sockets.Accept(server);
        Sockets.Close(connection).ShouldBe(0);
        var data = new byte[1024];
        var result = 0;
        // The first sends may still be buffered; the peer's RST then turns later ones into errors.
        for (var attempt = 0; attempt < 100 && result >= 0; attempt++)
        {
            result = Sockets.Send(client, data, 0, data.Length);
            if (result >= 0)
            {
                Thread.Sleep(5);
            }
        }
        result.ShouldBeOneOf(-Errno.BrokenPipe, -Errno.ConnectionReset);
        Sockets.Close(client);
        Sockets.Close(server);
    }

    [Fact]
    public void Connect_ToAPortNobodyListensOn_ReturnsMinusECONNREFUSED()
    {
        var server = Listen(out var port);
        Sockets.Close(server).ShouldBe(0);
        var client = Sockets.Tcp();
        Sockets.Connect(client, Ipv4.Loopback, port).ShouldBe(-Errno.ConnectionRefused);
        Sockets.Close(client);
    }

    [Fact]
    public void Bind_APortInUse_ReturnsMinusEADDRINUSE_AndABadPort_MinusEINVAL()
    {
        var server = Listen(out var port);
        var other = Sockets.Tcp();
        Sockets.Bind(other, Ipv4.Loopback, port).ShouldBe(-Errno.AddressInUse);
        Sockets.Bind(other, Ipv4.Loopback, 65536).ShouldBe(-Errno.Invalid);
        Sockets.Connect(other, Ipv4.Loopback, -1).ShouldBe(-Errno.Invalid);
        Sockets.Close(other);
        Sockets.Close(server);
    }

    [Fact]
    public void SocketCalls_OnAFile_ReturnMinusENOTSOCK_AndOnUnknownDescriptors_MinusEBADF()
    {
        using var temp = new TempDirectory();
        var fd = Files.Open(temp.Combine("f"), OpenFlags.ReadWrite | OpenFlags.Create);
        Sockets.Listen(fd, 1).ShouldBe(-Errno.NotSocket);
        Sockets.LocalPort(fd).ShouldBe(-Errno.NotSocket);
        Files.Close(fd);
        Sockets.Accept(700).ShouldBe(-Errno.BadDescriptor);
        Sockets.Send(700, new byte[1], 0, 1).ShouldBe(-Errno.BadDescriptor);
        Sockets.Receive(700, new byte[1], 0, 2).ShouldBe(-Errno.Fault);
    }

    [Fact]
    public void Shutdown_OfAnUnconnectedSocket_ReturnsMinusENOTCONN()
    {
        var socket = Sockets.Tcp();
        Sockets.Shutdown(socket, Sockets.ShutdownBoth).ShouldBe(-Errno.NotConnected);
        Sockets.Shutdown(socket, 3).ShouldBe(-Errno.Invalid);
        Sockets.Close(socket);
    }

    private static int Listen(out int port)
    {
        var server = Sockets.Tcp();
        Sockets.Bind(server, Ipv4.Loopback, 0).ShouldBe(0);
        Sockets.Listen(server, 4).ShouldBe(0);
        port = Sockets.LocalPort(server);
        return server;
    }

    private static string ReceiveExactly(int socket, byte[] buffer, int count)
    {
        var received = 0;
        while (received < count)
        {
            var n = Sockets.Receive(socket, buffer, received, count - received);
            n.ShouldBeGreaterThan(0);
            received += n;
        }
        return Encoding.ASCII.GetString(buffer, 0, count);
    }
}
