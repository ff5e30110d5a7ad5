using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A real redis-server on a free loopback port with its own temporary directory, started and
/// stopped (by PID) by the test that owns it. A missing redis-server fails the test loudly.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string[] _extraArguments;
    private Process? _process;

    private RedisServer(int port, string directory, string[] extraArguments)
    {
        Port = port;
        _directory = directory;
        _extraArguments = extraArguments;
    }

    public int Port { get; }

    /// <summary>The process id of the running server (0 when it is not running).</summary>
    public int ProcessId => _process is { HasExited: false } process ? process.Id : 0;

    public string Configuration => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server; <paramref name="extraArguments"/> are appended to its command line (e.g. cluster mode).</summary>
    public static async Task<RedisServer> StartAsync(params string[] extraArguments)
    {
        var directory = Directory.CreateTempSubdirectory("gateway-redis-").FullName;
        var server = new RedisServer(FreePort(), directory, extraArguments);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts (again) on the same port, empty: nothing is persisted.</summary>
    public async Task RestartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("redis-server is already running.");
        }

        var executable = FindOnPath("redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed: tests/run.sh installs it (apt-get install redis-server).");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _directory, "--save", string.Empty, "--appendonly", "no", "--logfile", Path.Combine(_directory, "redis.log") }.Concat(_extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        if (!await Eventually.HoldsAsync(async () => _process.HasExited || await PingAsync(), TimeSpan.FromSeconds(15)) || _process.HasExited)
        {
            throw new InvalidOperationException($"redis-server on port {Port} did not come up: {await File.ReadAllTextAsync(Path.Combine(_directory, "redis.log"))}");
        }
    }

    /// <summary>Kills the server (SIGKILL, by PID), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }

    /// <summary>Freezes (SIGSTOP) or thaws (SIGCONT) the server: connections stay open, answers stop, as with a stalled Redis.</summary>
    public async Task SignalAsync(bool pause)
    {
        var pid = _process?.Id ?? throw new InvalidOperationException("redis-server is not running.");
        using var kill = Process.Start("kill", [pause ? "-STOP" : "-CONT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Every key and its stored content, read with a separate connection.</summary>
    public async Task<IReadOnlyList<(string Key, string Value)>> DumpAsync()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Configuration);
        var server = connection.GetServer(Configuration);
        var database = connection.GetDatabase();
        var entries = new List<(string, string)>();
        await foreach (var key in server.KeysAsync(pattern: "*", pageSize: 500))
        {
            var type = await database.KeyTypeAsync(key);
            if (type == RedisType.None)
            {
                // Expired between the scan and this read (budget windows live a second).
                continue;
            }

            var value = type switch
            {
                RedisType.Hash => string.Join('\n', (await database.HashGetAllAsync(key)).Select(entry => $"{entry.Name}={entry.Value}")),
                RedisType.String => (string?)await database.StringGetAsync(key) ?? string.Empty,
                RedisType.SortedSet => string.Join('\n', (await database.SortedSetRangeByRankWithScoresAsync(key)).Select(entry => $"{entry.Element}={entry.Score}")),
                var other => throw new InvalidOperationException($"Unexpected {other} at {key}."),
            };
            entries.Add((key.ToString(), value));
        }

        return entries;
    }

    /// <summary>Deletes every key matching the pattern, with a separate connection.</summary>
    public async Task DeleteKeysAsync(string pattern)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Configuration);
        var database = connection.GetDatabase();
        await foreach (var key in connection.GetServer(Configuration).KeysAsync(pattern: pattern, pageSize: 500))
        {
            await database.KeyDeleteAsync(key);
        }
    }

    /// <summary>
    /// The number of cached blocks. Only block keys are counted (they end with their hash tag),
    /// not the caller's entity hash nor a single-flight claim (block key + ":flight"), which is
    /// released after the answer.
    /// </summary>
    public Task<long> BlockKeyCountAsync() => KeyCountAsync("*:block:*[0-9]");

    /// <summary>The number of keys matching the pattern, read with a separate connection.</summary>
    public async Task<long> KeyCountAsync(string pattern)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Configuration);
        long count = 0;
        await foreach (var _ in connection.GetServer(Configuration).KeysAsync(pattern: pattern, pageSize: 500))
        {
            count++;
        }

        return count;
    }

    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            await SignalAsync(pause: false);
        }

        await KillAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/usr/bin")
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
