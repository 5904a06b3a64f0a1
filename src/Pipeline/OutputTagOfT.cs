namespace Etl.Pipeline;

/// <summary>
/// Names a side output of an operator (Flink's OutputTag): besides its main output, an operator may emit records of
/// <typeparamref name="T"/> under this tag (<see cref="ICollector{T}.Collect{TSide}"/>), and the job reads them with
/// <c>DataStream.SideOutput(tag)</c>. Tags are equal when their ids are; an id has one record type per operator.
/// </summary>
/// <param name="Id">A stable name, unique among the side outputs of one operator.</param>
public sealed record OutputTag<T>(string Id)
{
    /// <summary>The tag id, checked: letters, digits, '.', '_' and '-'.</summary>
    public string Id { get; } = OutputTag.CheckId(Id);
}
