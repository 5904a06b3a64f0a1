using System.Text.Json;

namespace Etl.TwoPhaseCommit;

/// <summary>Reads and writes <see cref="TwoPhaseCommitState"/>, rejecting versions it does not know.</summary>
internal static class TwoPhaseCommitStateCodec
{
    public static byte[] Encode(TwoPhaseCommitState state) =>
        JsonSerializer.SerializeToUtf8Bytes(state, TwoPhaseCommitStateJsonContext.Default.TwoPhaseCommitState);

    public static TwoPhaseCommitState Decode(byte[] data, int oldSubtaskIndex)
    {
        TwoPhaseCommitState? state;
        try
        {
            state = JsonSerializer.Deserialize(data, TwoPhaseCommitStateJsonContext.Default.TwoPhaseCommitState);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException(
                $"The two-phase-commit sink state of old subtask {oldSubtaskIndex} is not readable JSON; the checkpoint is corrupt or was written by another operator.", e);
        }

        if (state is null || state.Version != TwoPhaseCommitState.CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The two-phase-commit sink state of old subtask {oldSubtaskIndex} has version {state?.Version.ToString() ?? "null"}; " +
                $"this build reads version {TwoPhaseCommitState.CurrentVersion}. Restore with the build that wrote it.");
        }

        return state;
    }
}
