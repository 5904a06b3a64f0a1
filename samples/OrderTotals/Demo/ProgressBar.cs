namespace Etl.Samples.OrderTotals.Demo;

/// <summary>A one-line progress bar on stderr, redrawn at most once per percent.</summary>
internal sealed class ProgressBar(int total, string label)
{
    private const int Width = 40;
    private int _lastPercent = -1;

    public void Report(int done)
    {
        var percent = total == 0 ? 100 : (int)(100L * done / total);
        if (percent == _lastPercent)
        {
            return;
        }

        _lastPercent = percent;
        var filled = percent * Width / 100;
        Console.Error.Write($"\r{label} [{new string('#', filled)}{new string('.', Width - filled)}] {percent,3}% ({done}/{total})");
    }

    public void Done()
    {
        Report(total);
        Console.Error.WriteLine();
    }
}
