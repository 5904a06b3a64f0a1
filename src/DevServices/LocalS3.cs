using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Etl.DevServices;

/// <summary>
/// A throwaway one-node Ceph cluster with an S3 gateway (radosgw), for the S3 checkpoint storage tests
/// (../shared facts: docs/local-services.md). One monitor, one OSD on the in-memory object store (its data is gone when
/// it stops), <see cref="GatewayCount"/> gateways on free loopback ports, authentication off inside the cluster while
/// the gateways check S3 signatures. Everything (configuration, run files, logs) lives under one temp directory.
/// </summary>
internal sealed class LocalS3
{
    public const int GatewayCount = 2;
    public const string AccessKey = "etl-local-access";
    public const string SecretKey = "etl-local-secret-key-0123456789";
    public const string Bucket = "etl-checkpoints";

    private static readonly string[] ToolDirectories = ["/usr/bin", "/usr/sbin", "/bin", "/sbin"];
    private static readonly string[] Subdirectories = ["run", "log", "mon", "osd"];

    private LocalS3(string rootDirectory) => RootDirectory = rootDirectory;

    public string RootDirectory { get; }

    public string ConfigFile => Path.Combine(RootDirectory, "ceph.conf");

    public List<string> Endpoints { get; } = [];

    /// <summary>Creates and starts the cluster and its gateways, and the user with <see cref="AccessKey"/>.</summary>
    public static async Task<LocalS3> CreateAsync(CancellationToken cancellationToken)
    {
        var s3 = new LocalS3(Directory.CreateTempSubdirectory("etl-s3-").FullName);
        try
        {
            await s3.StartClusterAsync(cancellationToken);
            for (var i = 0; i < GatewayCount; i++)
            {
                var port = FreePort.Pick();
                await RunDaemonAsync("radosgw", [.. s3.GatewayArguments($"gw{i}", port)], cancellationToken);
                var endpoint = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
                await WaitForHttpAsync(endpoint, TimeSpan.FromSeconds(60), s3.GatewayExited($"gw{i}"), cancellationToken);
                s3.Endpoints.Add(endpoint);
            }

            await RunAsync(
                "radosgw-admin",
                ["-c", s3.ConfigFile, "user", "create", "--uid=etl", "--display-name=etl", $"--access-key={AccessKey}", $"--secret={SecretKey}"],
                cancellationToken);
            return s3;
        }
        catch (InvalidOperationException e)
        {
            // The daemons say why they stopped only in their logs, which go with the directory.
            var errors = s3.ErrorLogLines();
            await Attach(s3.RootDirectory).DisposeAsync();
            if (errors.Count == 0)
            {
                throw;
            }

            throw new InvalidOperationException($"{e.Message} The daemons logged: {string.Join(" | ", errors)}", e);
        }
        catch
        {
            await Attach(s3.RootDirectory).DisposeAsync();
            throw;
        }
    }

    /// <summary>A cluster started earlier (by <c>etl dev up</c>), to add a gateway or stop it.</summary>
    public static LocalS3 Attach(string rootDirectory) => new(rootDirectory);

    /// <summary>
    /// Starts one more gateway in the foreground as a child process (a test kills it to exercise failover) and waits until
    /// it serves S3 on <paramref name="port"/>.
    /// </summary>
    public async Task<Process> StartGatewayAsync(string name, int port, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(Tool("radosgw")) { UseShellExecute = false };
        foreach (var argument in GatewayArguments(name, port).Append("-f"))
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start radosgw.");
        await WaitForHttpAsync($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", TimeSpan.FromSeconds(60), () => process.HasExited, cancellationToken);
        return process;
    }

    /// <summary>Stops every daemon of the cluster (by the pid files under its run directory) and deletes the directory.</summary>
    public async ValueTask DisposeAsync()
    {
        var run = Path.Combine(RootDirectory, "run");
        var processes = new List<Process>();
        foreach (var pidFile in Directory.Exists(run) ? Directory.GetFiles(run, "*.pid") : [])
        {
            if (TryReadPid(pidFile, out var pid))
            {
                try
                {
                    var process = Process.GetProcessById(pid);
                    process.Kill();
                    processes.Add(process);
                }
                catch (ArgumentException)
                {
                    // Exited already.
                }
            }
        }

        foreach (var process in processes)
        {
            using (process)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    // Tolerated: it was sent SIGKILL; the directory goes either way.
                }
            }
        }

        if (Directory.Exists(RootDirectory))
        {
            Directory.Delete(RootDirectory, recursive: true);
        }
    }

    /// <summary>The last error lines (Ceph's level -1) of the daemons' logs, each prefixed with its log's name.</summary>
    private List<string> ErrorLogLines()
    {
        const int MaxLines = 8;
        var log = Path.Combine(RootDirectory, "log");
        var lines = new List<string>();
        foreach (var file in Directory.Exists(log) ? Directory.GetFiles(log, "*.log").Order(StringComparer.Ordinal).ToArray() : [])
        {
            var name = Path.GetFileNameWithoutExtension(file);
            lines.AddRange(File.ReadLines(file).Where(l => l.Contains(" -1 ", StringComparison.Ordinal)).Select(l => $"{name}: {l.Trim()}"));
        }

        return lines.TakeLast(MaxLines).ToList();
    }

    private IEnumerable<string> GatewayArguments(string name, int port) =>
        ["-c", ConfigFile, "-n", $"client.rgw.{name}", $"--rgw-frontends=beast endpoint=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"];

    private async Task StartClusterAsync(CancellationToken cancellationToken)
    {
        foreach (var sub in Subdirectories)
        {
            Directory.CreateDirectory(Path.Combine(RootDirectory, sub));
        }

        var monPort = FreePort.Pick().ToString(CultureInfo.InvariantCulture);
        var fsid = Guid.NewGuid().ToString();
        var root = RootDirectory;
        // Settings measured to work on one host (../shared/reference/s3-on-this-machine.md): no cephx inside the throwaway
        // cluster, pools of one replica, msgr v1 only, everything under the temp directory. The OSD does not set its own
        // device class or crush location when it starts (the crush add below places it): those are monitor commands it
        // can send before it has the monitor map, under CPU load, with a zero fsid that the monitor refuses ("wrong fsid",
        // EPERM), and the OSD then exits (250) - 2 of 15 starts with both cores busy, 0 of 30 without the two commands.
        await File.WriteAllTextAsync(ConfigFile, $"""
            [global]
            fsid = {fsid}
            mon host = v1:127.0.0.1:{monPort}
            mon initial members = a
            auth cluster required = none
            auth service required = none
            auth client required = none
            osd pool default size = 1
            osd pool default min size = 1
            mon allow pool size one = true
            osd crush chooseleaf type = 0
            ms bind msgr2 = false
            osd objectstore = memstore
            osd class update on start = false
            osd crush update on start = false
            run dir = {root}/run
            admin socket = {root}/run/$name.asok
            pid file = {root}/run/$name.pid
            log file = {root}/log/$name.log
            mon data = {root}/mon/$name
            osd data = {root}/osd/$name
            keyring = {root}/keyring
            mon cluster log file = {root}/log/cluster.log
            rgw data = {root}/rgw/$name

            """, cancellationToken);
        var monmap = Path.Combine(root, "monmap");
        await RunAsync("ceph-authtool", [Path.Combine(root, "keyring"), "--create-keyring", "--gen-key", "-n", "mon.", "--cap", "mon", "allow *"], cancellationToken);
        await RunAsync("monmaptool", ["--create", "--fsid", fsid, "--addv", "a", $"[v1:127.0.0.1:{monPort}]", monmap], cancellationToken);
        await RunAsync("ceph-mon", ["-c", ConfigFile, "--mkfs", "-i", "a", "--monmap", monmap, "--keyring", Path.Combine(root, "keyring")], cancellationToken);
        await RunDaemonAsync("ceph-mon", ["-c", ConfigFile, "-i", "a"], cancellationToken);
        var osdId = (await RunAsync("ceph", ["-c", ConfigFile, "osd", "create"], cancellationToken)).Trim();
        Directory.CreateDirectory(Path.Combine(root, "osd", $"osd.{osdId}"));
        await RunAsync("ceph-osd", ["-c", ConfigFile, "-i", osdId, "--mkfs"], cancellationToken);
        await RunAsync("ceph", ["-c", ConfigFile, "osd", "crush", "add-bucket", "node", "host"], cancellationToken);
        await RunAsync("ceph", ["-c", ConfigFile, "osd", "crush", "move", "node", "root=default"], cancellationToken);
        await RunAsync("ceph", ["-c", ConfigFile, "osd", "crush", "add", $"osd.{osdId}", "1.0", "host=node"], cancellationToken);
        await RunDaemonAsync("ceph-osd", ["-c", ConfigFile, "-i", osdId], cancellationToken);
    }

    /// <summary>
    /// Whether the backgrounded gateway <paramref name="name"/> has gone: it wrote its pid file, and then that process
    /// stopped running or the file went (a Ceph daemon removes it when it exits). A gateway that cannot reach the cluster
    /// exits within seconds; waiting the full timeout for it only delays the report.
    /// </summary>
    private Func<bool> GatewayExited(string name)
    {
        var pidFile = Path.Combine(RootDirectory, "run", $"client.rgw.{name}.pid");
        var seen = false;
        return () =>
        {
            if (!TryReadPid(pidFile, out var pid))
            {
                return seen;
            }

            seen = true;
            try
            {
                using var process = Process.GetProcessById(pid);
                return process.HasExited;
            }
            catch (ArgumentException)
            {
                return true;
            }
        };
    }

    /// <summary>The pid in a daemon's pid file; false when the file is not there (yet, or any more) or not a number yet.</summary>
    private static bool TryReadPid(string pidFile, out int pid)
    {
        pid = 0;
        try
        {
            return int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out pid);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // An exiting daemon removes its pid file; that may happen between listing and reading it.
            return false;
        }
    }

    private static async Task WaitForHttpAsync(string endpoint, TimeSpan timeout, Func<bool> exited, CancellationToken cancellationToken)
    {
        var uri = new Uri(endpoint);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                using var response = await client.GetAsync(uri, cancellationToken);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (exited())
                {
                    throw new InvalidOperationException($"The gateway for {endpoint} exited before it answered HTTP ({e.Message}).", e);
                }

                if (DateTime.UtcNow >= deadline)
                {
                    throw new InvalidOperationException($"The gateway at {endpoint} did not answer HTTP within {timeout.TotalSeconds:0} s ({e.Message}).", e);
                }

                await Task.Delay(200, cancellationToken);
            }
        }
    }

    // The daemons fork into the background (pid files under run/); they must hold none of our pipes, or waiting for
    // this command's output would wait for them.
    private static Task<string> RunDaemonAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        ChildCommand.RunAsync("/bin/sh", ["-c", "\"$@\" >/dev/null 2>&1 </dev/null", "sh", Tool(tool), .. arguments], cancellationToken);

    private static Task<string> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        ChildCommand.RunAsync(Tool(tool), arguments, cancellationToken);

    private static string Tool(string name) =>
        ToolDirectories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            $"'{name}' is not installed: the local S3 gateway needs Debian's ceph-mon, ceph-osd and radosgw (scripts/install-deps.sh), " +
            "or point the tests at your own S3 with ETL_S3_ENDPOINTS.");
}
