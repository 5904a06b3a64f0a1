using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>
/// File names for operator subtask state: <c>&lt;uid&gt;-&lt;subtask&gt;.state</c> with the uid reduced to
/// letters, digits, '.', '_' and '-'. A uid that had to change gets a hash of the original appended, so two
/// uids never share a file; <c>_metadata</c> keeps the real uid.
/// </summary>
internal static class StateFileNames
{
    private const int MaxUidLength = 80;

    public static string For(string operatorUid, int subtask)
    {
        var builder = new StringBuilder(Math.Min(operatorUid.Length, MaxUidLength));
        foreach (var c in operatorUid)
        {
            if (builder.Length == MaxUidLength)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }

        var safe = builder.ToString();
        if (!string.Equals(safe, operatorUid, StringComparison.Ordinal) || safe.StartsWith('.') || safe.Length == 0)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(operatorUid)).AsSpan(0, 4));
            safe = $"{safe}-{hash}";
        }

        return string.Create(CultureInfo.InvariantCulture, $"{safe}-{subtask}.state");
    }
}
