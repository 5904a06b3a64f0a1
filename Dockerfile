# The order-totals sample (etl run), a job hosted by Etl.Hosting. Build from the repository root:
#   docker build -t etl-worker .
# docker-compose.yml runs it next to Apache Kafka (KRaft) and PostgreSQL.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
# global.json pins the SDK of the development machine; inside the image the image's 10.0 SDK builds.
# ReadyToRun: precompiled code cuts the start-up JIT, so a restarted worker reaches its first checkpoint ~0.3 s sooner
# (docs/benchmarks.md, recovery).
RUN rm -f global.json \
 && dotnet publish samples/OrderTotals/Etl.Samples.OrderTotals.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o /app --nologo

# The ASP.NET Core runtime: the worker endpoint (health, metrics, savepoints) runs on Kestrel.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# The native Kafka client comes with the publish (librdkafka.redist, next to etl.dll): no distribution
# librdkafka. The worker checks at start that it runs the bundled build and logs its version.
WORKDIR /app
COPY --from=build /app .
# Checkpoints and savepoints must outlive the container: mount a volume here.
RUN mkdir -p /data/checkpoints && chown -R app:app /data
USER app
ENV Etl__Checkpoints__Directory=/data/checkpoints \
    Logging__Console__FormatterName=json
EXPOSE 9249
VOLUME ["/data"]
# Exec form: dotnet is PID 1 and receives SIGTERM, which stops the job with a final savepoint.
ENTRYPOINT ["dotnet", "etl.dll"]
CMD ["run"]
