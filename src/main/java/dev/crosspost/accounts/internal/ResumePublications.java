package dev.crosspost.accounts.internal;

import dev.crosspost.accounts.AccountConnected;
import dev.crosspost.publishing.Publications;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** When an account is (re)connected, the publications that were waiting for it carry on. */
@Component
class ResumePublications {

    private final Publications publications;

    ResumePublications(Publications publications) {
        this.publications = publications;
    }

    @ApplicationModuleListener
    void on(AccountConnected event) {
        publications.resumeAccount(event.workspaceId(), event.platform(), event.accountId().toString());
    }
}
