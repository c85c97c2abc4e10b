// The Kml namespace on sockets, in one process over loopback: a listener on port 0 (the kernel picks the port,
// LocalPort reports it), a client that connects (the connection waits in the backlog until accepted), send and
// receive both ways, shutdown (the peer then reads end of file), errors for bad arguments, and close.
// native: no (talrun, the TAL tests' native runner, implements no sockets)
using System;
using Kml;

static class Program
{
    static string ReceiveText(int socket, int expected)
    {
        byte[] buffer = new byte[64];
        int total = 0;
        while (total < expected)
        {
            int n = Sockets.Receive(socket, buffer, total, buffer.Length - total);
            if (n <= 0) return "error " + Errno.Name(n);
            total += n;
        }
        return Utf8.Decode(buffer, 0, total);
    }

    static void Main()
    {
        int listener = Sockets.Tcp();
        Console.WriteLine("socket " + (listener > 2) + " reuse " + Sockets.ReuseAddress(listener));
        Console.WriteLine("bind " + Sockets.Bind(listener, Ipv4.Loopback, 0) + " listen " + Sockets.Listen(listener, 4));
        int port = Sockets.LocalPort(listener);
        Console.WriteLine("port " + (port > 0 && port < 65536));
        int client = Sockets.Tcp();
        Console.WriteLine("connect " + Sockets.Connect(client, Ipv4.Loopback, port));
        int server = Sockets.Accept(listener);
        Console.WriteLine("accept " + (server > client));
        byte[] ping = Utf8.Encode("ping from the client");
        Console.WriteLine("send " + Sockets.Send(client, ping, 0, ping.Length) + " -> " + ReceiveText(server, ping.Length));
        byte[] pong = Utf8.Encode("pong, from the server");
        Console.WriteLine("send " + Sockets.Send(server, pong, 5, pong.Length - 5) + " -> " + ReceiveText(client, pong.Length - 5));
        Console.WriteLine("bad range " + Errno.Name(Sockets.Send(client, ping, 10, 100)) + " bad how " + Errno.Name(Sockets.Shutdown(client, 7)));
        Console.WriteLine("shutdown " + Sockets.Shutdown(client, Sockets.ShutdownSend));
        byte[] rest = new byte[8];
        Console.WriteLine("end of file " + Sockets.Receive(server, rest, 0, rest.Length));
        Console.WriteLine("close " + Sockets.Close(server) + " " + Sockets.Close(client) + " " + Sockets.Close(listener) + " again " + Errno.Name(Sockets.Close(listener)));
        Console.WriteLine("bad socket " + Errno.Name(Sockets.LocalPort(listener)) + " " + Errno.Name(Sockets.Listen(99, 1)));
    }
}
