using QualityApi.Emulator;

// The standalone entry point; tests and the gateway build the same app through EmulatorServer.
await using var app = EmulatorHost.CreateStandalone(args);
await app.RunAsync();

// Internal on purpose: .NET 10 would otherwise generate a public Program, and a test project
// referencing both this and the gateway could no longer name the gateway's Program
// (WebApplicationFactory<Program> would be ambiguous).
internal sealed partial class Program;
