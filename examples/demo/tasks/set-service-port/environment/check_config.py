import configparser, sys
c = configparser.ConfigParser(); c.read("service.conf")
port = c["server"]["port"]
if port != "9090": sys.exit("port is %s, expected 9090" % port)
if not c["health"]["url"].endswith(":%s/health" % port): sys.exit("health url does not use the server port")
print("OK")
