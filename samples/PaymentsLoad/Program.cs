using Etl.Hosting;
using Etl.Samples.PaymentsLoad;

var app = EtlApplication.CreateBuilder(args);
app.Description = "payments-load: JSON payments from Kafka -> validated rows in PostgreSQL, exactly once, hosted by Etl.";
app.AddJob(PaymentsLoadJob.DefaultName, PaymentsLoadJob.Define);
return await app.RunAsync();
