using Gateway;
using Gateway.GraphQL;
using Gateway.Hosting;
using Gateway.Http;
using Gateway.Ide;
using Gateway.Live;

if (HealthProbeCommand.IsRequested(args))
{
    return await HealthProbeCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
if (SchemaExport.IsRequested(args))
{
    SchemaExport.NeedsNoUpstream(builder.Configuration);
}

builder.Services.AddQualityGateway(builder.Configuration, builder.Environment);

await using var app = builder.Build();
if (SchemaExport.IsRequested(args))
{
    return await SchemaExport.RunAsync(app.Services, args);
}

// A bad setting ends the process here, each broken rule logged once with its key.
if (!StartupValidation.Passes(app.Services))
{
    return 1;
}

app.UseGraphQLCors();
app.UseIde("/graphql");
app.UseLiveTransports("/graphql");
app.MapGraphQLEndpoint("/graphql");
app.MapGatewayHealthChecks();
await app.RunAsync();
return 0;

/// <summary>The entry point, public so that tests can host the real composition root.</summary>
public partial class Program;
