using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// Sums a gc-verbose trace's allocation samples (GCAllocationTick, about one per 100 KB) by type: what a run allocates;
// then lists every garbage collection in the trace: its generation, pause and what it promoted (what survived it).
if (args.Length != 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: alloc-report TRACE.nettrace   (a dotnet-trace file taken with --profile gc-verbose)");
    return 2;
}

var bytes = new Dictionary<string, long>(StringComparer.Ordinal);
long total = 0;
var collections = new List<string>();
double suspended = 0;
var generation = -1;
using (var source = new EventPipeEventSource(args[0]))
{
    source.Clr.GCAllocationTick += (GCAllocationTickTraceData e) =>
    {
        var name = e.TypeName ?? "?";
        bytes[name] = bytes.GetValueOrDefault(name) + e.AllocationAmount64;
        total += e.AllocationAmount64;
    };
    source.Clr.GCSuspendEEStart += e => suspended = e.TimeStampRelativeMSec;
    source.Clr.GCStart += e => generation = e.Depth;
    source.Clr.GCHeapStats += e => collections.Add(
        $"gen{generation}: promoted gen0 {e.TotalPromotedSize0 / 1048576.0,7:F1} MiB, gen1 {e.TotalPromotedSize1 / 1048576.0,7:F1} MiB, " +
        $"gen2 {e.TotalPromotedSize2 / 1048576.0,7:F1} MiB; sizes gen0 {e.GenerationSize0 / 1048576.0,6:F1} gen1 {e.GenerationSize1 / 1048576.0,6:F1} " +
        $"gen2 {e.GenerationSize2 / 1048576.0,6:F1} LOH {e.GenerationSize3 / 1048576.0,6:F1} MiB");
    source.Clr.GCRestartEEStop += e =>
    {
        if (collections.Count > 0 && suspended > 0)
        {
            collections[^1] += $"; pause {e.TimeStampRelativeMSec - suspended,6:F1} ms";
            suspended = 0;
        }
    };
    source.Process();
}

Console.WriteLine($"allocation samples: {total / 1048576.0:F0} MiB");
foreach (var (name, sampled) in bytes.OrderByDescending(p => p.Value).Take(30))
{
    Console.WriteLine($"{sampled * 100.0 / total,6:F1} %  {name}");
}

Console.WriteLine($"{collections.Count} collections:");
foreach (var line in collections)
{
    Console.WriteLine("  " + line);
}

return 0;
