package dev.portcullis.proxy;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The proxy node: the stateless enforcement point between callers and their targets. */
@SpringBootApplication
@org.springframework.boot.context.properties.ConfigurationPropertiesScan
public class ProxyNodeApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProxyNodeApplication.class, args);
    }
}
