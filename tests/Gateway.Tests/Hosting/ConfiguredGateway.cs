using Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Hosting;

/// <summary>
/// The gateway's real composition root with the given settings, built but never started: what
/// start-up validation says about those settings.
/// </summary>
public static class ConfiguredGateway
{
    /// <summary>Every failure start-up validation reports, as logged; empty when the gateway would start.</summary>
    public static async Task<IReadOnlyList<string>> FailuresAsync(IDictionary<string, string?> settings, string environment = "Production")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddQualityGateway(builder.Configuration, builder.Environment);
        await using var app = builder.Build();
        return StartupValidation.Problems(app.Services);
    }
}
