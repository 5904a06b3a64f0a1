using Etl.DevServices;
using Etl.Hosting;
using Etl.Samples.OrderTotals.Demo;
using Etl.Samples.OrderTotals.Job;

var app = EtlApplication.CreateBuilder(args);
app.Description = "etl: the order-total job (Kafka -> event-time windows -> PostgreSQL, exactly once), hosted by Etl.";
app.AddJob(OrderTotalsJob.DefaultName, OrderTotalsJob.Define);
app.AddCommand(DemoCommands.Create());
app.AddCommand(DevCommands.Create());
return await app.RunAsync();
