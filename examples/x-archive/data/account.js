window.YTD.account.part0 = [
  {
    "account" : {
      "email" : "support@nimbusmobile.example",
      "createdVia" : "web",
      "username" : "NimbusHelp",
      "accountId" : "1234567890",
      "createdAt" : "2015-03-02T10:00:00.000Z",
      "accountDisplayName" : "Nimbus Help"
    }
  }
]
