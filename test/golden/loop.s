; Sense-VM image, format version 1: labels are code offsets
.format sensevm 1
.int 0                          ; #0
.int 100                        ; #1
.int 1                          ; #2
.metadata {"dataTypes":[],"source":"loop.cam","mainType":{"kind":"int"}}

    LOADI #0                    ; @0  = 0  loop.cam:4:13
    MOVE                        ; @3  loop.cam:4:8
    LOADI #1                    ; @4  = 100  loop.cam:4:15
    CONS                        ; @7  loop.cam:4:8
    CALL L12                    ; @8
    STOP                        ; @11
L12:
    PUSH                        ; @12  loop.cam:3:14
    SND                         ; @13  loop.cam:3:10
    EQIK #0                     ; @14  = 0  loop.cam:3:17
    GOTOFALSE L22               ; @17  loop.cam:3:14
    FST                         ; @20  loop.cam:3:6
    RETURN                      ; @21
L22:
    PUSH                        ; @22  loop.cam:3:38
    FST                         ; @23  loop.cam:3:6
    ADDIK #2                    ; @24  = 1  loop.cam:3:43
    SWAP                        ; @27  loop.cam:3:38
    SND                         ; @28  loop.cam:3:10
    MINIK #2                    ; @29  = 1  loop.cam:3:53
    CONS                        ; @32  loop.cam:3:38
    GOTO L12                    ; @33

.debug 0 3 "loop.cam" 4 13
.debug 3 1 "loop.cam" 4 8
.debug 4 3 "loop.cam" 4 15
.debug 7 4 "loop.cam" 4 8
.debug 12 1 "loop.cam" 3 14
.debug 13 1 "loop.cam" 3 10
.debug 14 3 "loop.cam" 3 17
.debug 17 3 "loop.cam" 3 14
.debug 20 2 "loop.cam" 3 6
.debug 22 1 "loop.cam" 3 38
.debug 23 1 "loop.cam" 3 6
.debug 24 3 "loop.cam" 3 43
.debug 27 1 "loop.cam" 3 38
.debug 28 1 "loop.cam" 3 10
.debug 29 3 "loop.cam" 3 53
.debug 32 4 "loop.cam" 3 38
