# syntax=docker/dockerfile:1
# Quality gateway: Banana Cake Pop's files from npm, then the same `dotnet publish` the
# tests run (tests/Gateway.Tests/Container/PublishTests.cs), on the ASP.NET runtime image.

# 1. The IDE's static files, from the committed lock file.
FROM node:20-bookworm-slim AS ide
WORKDIR /ide
COPY src/Gateway/Ide/package.json src/Gateway/Ide/package-lock.json ./
RUN npm ci --no-audit --no-fund

# 2. Restore (a layer that survives code changes), then publish.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /repo
COPY .editorconfig ./
COPY src/Directory.Build.props src/Directory.Packages.props src/
COPY src/Gateway/Gateway.csproj src/Gateway/
COPY src/QualityApi.Emulator/QualityApi.Emulator.csproj src/QualityApi.Emulator/
# As a publish restores: the project publishes ReadyToRun for the SDK's runtime identifier
# (src/Gateway/Gateway.csproj), so the restore must include that identifier's packages.
RUN dotnet restore src/Gateway/Gateway.csproj -p:_IsPublishing=true
COPY src/ src/
# With the package present, the build copies it and does not run npm itself.
COPY --from=ide /ide/node_modules src/Gateway/Ide/node_modules
RUN dotnet publish src/Gateway/Gateway.csproj -c Release --no-restore -o /app

# 3. Runtime: no SDK, no npm, the image's unprivileged user.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
USER $APP_UID
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Logging__Console__FormatterName=json
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["dotnet", "Gateway.dll", "health", "http://127.0.0.1:8080/health/ready"]
ENTRYPOINT ["dotnet", "Gateway.dll"]
