using System.Globalization;

namespace Etl.Bench;

/// <summary>
/// CPU time of a local PostgreSQL server: its postmaster and every child process, from /proc (user + system, plus
/// the children's that ended: a backend's CPU is added to the postmaster's when it is reaped). Only when the server
/// runs on this machine and its data directory is known (<c>ETL_POSTGRES_DIR</c>, written by <c>etl dev up</c>).
/// </summary>
internal sealed class PostgresServerCpu(int postmaster)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static PostgresServerCpu? Find()
    {
        var directory = Environment.GetEnvironmentVariable("ETL_POSTGRES_DIR");
        var pidFile = directory is null ? null : new[] { Path.Combine(directory, "data", "postmaster.pid"), Path.Combine(directory, "postmaster.pid") }.FirstOrDefault(File.Exists);
        return pidFile is not null && int.TryParse(File.ReadLines(pidFile).First(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
            ? new PostgresServerCpu(pid)
            : null;
    }

    public TimeSpan Now()
    {
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // Fields after the command (which may hold spaces) start at ") ": state, ppid, ..., utime (14), stime, cutime, cstime.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (pid == postmaster || parent == postmaster)
                {
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
                        + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was read; its CPU is now in the postmaster's children's time.
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
