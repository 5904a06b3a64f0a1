namespace Etl.Pipeline.Restart;

internal static class RestartOptionRules
{
    public static void AtLeast(int value, int minimum, string setting)
    {
        if (value < minimum)
        {
            throw Invalid(setting, $"must be at least {minimum}, was {value}.");
        }
    }

    public static void Positive(TimeSpan value, string setting)
    {
        if (value <= TimeSpan.Zero)
        {
            throw Invalid(setting, $"must be positive, was {value}.");
        }
    }

    public static void NotNegative(TimeSpan value, string setting)
    {
        if (value < TimeSpan.Zero)
        {
            throw Invalid(setting, $"must not be negative, was {value}.");
        }
    }

    public static ArgumentException Invalid(string setting, string problem) => new($"{setting} {problem}", setting);
}
