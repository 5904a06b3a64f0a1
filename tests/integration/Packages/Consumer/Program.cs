// A job written by someone outside the Etl repository, against the packed Etl packages only (public API), hosted by
// Etl.Hosting. Settings come from the environment (Etl__Kafka__Topic, ...); `run --stop-at-end` is a bounded run.
using Etl.Hosting;

var app = EtlApplication.CreateBuilder(args);
app.AddJob("word-counts", WordCountJob.Define);
return await app.RunAsync();
