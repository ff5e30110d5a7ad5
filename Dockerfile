# syntax=docker/dockerfile:1
# The same steps `dotnet publish` runs here: restore, then publish the gateway in Release.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /repo
# Restore first, from the project files alone, so that the layer survives code changes.
COPY src/Directory.Build.props src/Directory.Packages.props src/
COPY src/Gateway/Gateway.csproj src/Gateway/
COPY src/QualityApi.Emulator/QualityApi.Emulator.csproj src/QualityApi.Emulator/
RUN dotnet restore src/Gateway/Gateway.csproj
COPY .editorconfig ./
COPY src/ src/
RUN dotnet publish src/Gateway/Gateway.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The runtime image's built-in unprivileged user; the gateway needs no root and no writable files.
USER $APP_UID
ENV ASPNETCORE_URLS=http://+:8080 \
    DOTNET_gcServer=1
EXPOSE 8080
ENTRYPOINT ["dotnet", "Gateway.dll"]
