package dev.crosspost.accounts.internal;

import dev.crosspost.system.SecuritySettings;
import dev.crosspost.system.SystemSettings;
import dev.crosspost.system.config.SettingsValidator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.transaction.support.TransactionTemplate;

/** The token cipher with its keys, and the key rotator. */
@Configuration(proxyBeanMethods = false)
class AccountsConfiguration {

    @Bean
    TokenCipher tokenCipher(SecuritySettings security, AccountsSettings accounts, SystemSettings system, Environment env) {
        boolean prod = env.acceptsProfiles(Profiles.of(SettingsValidator.PROD_PROFILE));
        return new TokenCipher(EncryptionKeys.load(security.encryptionKey(), accounts.previousEncryptionKeys(),
                system.dataDir().toAbsolutePath().normalize(), prod));
    }

    @Bean
    KeyRotator keyRotator(AccountStore accounts, OAuthStates states, TokenCipher cipher, TransactionTemplate tx, AccountsSettings settings) {
        return new KeyRotator(accounts, states, cipher, tx, settings.rotationBatchSize());
    }
}
