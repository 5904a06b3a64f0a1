using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Etl.Tests.Integration.Infrastructure.IntegrationTestFramework", "Etl.Tests.Integration")]

namespace Etl.Tests.Integration.Infrastructure;

/// <summary>
/// xunit's own framework, plus one line in the test output, once per test run, saying where Kafka and PostgreSQL
/// come from (<see cref="TestServices.Describe"/>). A diagnostic message is the one channel xunit 2 shows outside a
/// test: console output of the test process is not shown by <c>dotnet test</c> (xunit.runner.json turns it on).
/// </summary>
public sealed class IntegrationTestFramework : XunitTestFramework
{
    // Discovery and execution may construct the framework in the same process: say it once.
    private static int _announced;

    public IntegrationTestFramework(IMessageSink messageSink)
        : base(messageSink)
    {
        ArgumentNullException.ThrowIfNull(messageSink);
        if (Interlocked.Exchange(ref _announced, 1) == 0)
        {
            string line;
            try
            {
                line = TestServices.Describe();
            }
            catch (InvalidOperationException e)
            {
                // A bad ETL_TEST_CONTAINERS, or containers required without an engine: the tests that use the services
                // fail with this message; here it only has to be shown, not thrown out of the test framework.
                line = e.Message;
            }

            messageSink.OnMessage(new DiagnosticMessage(line));
        }
    }
}
