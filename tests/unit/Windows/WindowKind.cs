namespace Etl.Tests.Unit.Windows;

public enum WindowKind
{
    Tumbling,
    Sliding,
    Session,
}
